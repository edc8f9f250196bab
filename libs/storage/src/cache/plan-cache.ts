import { Injectable } from '@nestjs/common';
import type { Plan } from '@ferry/plan';
import type { PlanEntity } from '../entities/plan.entity';
import { PlanRepository } from '../repositories/plan.repository';
import { isUuid } from '../repositories/project.repository';
import { PromiseCache } from './promise-cache';

export interface LoadedPlan {
  readonly header: PlanEntity;
  readonly plan: Plan;
}

/**
 * Stored plans never change, and a million-task plan takes seconds to load, so the last two loaded
 * stay in memory: an operator slices one global plan command after command.
 */
export const PLAN_CACHE_SIZE = 2;

@Injectable()
export class PlanCache {
  private readonly cache: PromiseCache<string, LoadedPlan>;

  constructor(private readonly plans: PlanRepository) {
    this.cache = new PromiseCache(PLAN_CACHE_SIZE, (id) => this.load(id));
  }

  /** The plan and its row, or null when no plan has this id. */
  get(id: string): Promise<LoadedPlan | null> {
    return isUuid(id) ? this.cache.get(id) : Promise.resolve(null);
  }

  /** A plan this process just stored (compiled or edited): no need to load it back. */
  remember(id: string, loaded: LoadedPlan): void {
    this.cache.set(id, loaded);
  }

  private async load(id: string): Promise<LoadedPlan | null> {
    const header = await this.plans.header(id);
    if (!header) return null;
    const plan = await this.plans.load(id);
    return plan ? { header, plan } : null;
  }
}
