import { Injectable } from '@nestjs/common';
import type { Plan } from '@ferry/plan';
import { PlanRepository } from '@ferry/storage';

/**
 * Stored plans never change (an edit stores a new plan), so the few most recently used stay in
 * memory: rendering a million-task plan should not reload a million rows each time.
 */
@Injectable()
export class PlanCache {
  private readonly plans = new Map<string, Plan>();
  private readonly capacity = 2;

  constructor(private readonly repository: PlanRepository) {}

  remember(id: string, plan: Plan): void {
    this.plans.delete(id);
    this.plans.set(id, plan);
    while (this.plans.size > this.capacity)
      this.plans.delete(this.plans.keys().next().value as string);
  }

  async get(id: string): Promise<Plan | null> {
    const cached = this.plans.get(id);
    if (cached) {
      this.remember(id, cached);
      return cached;
    }
    const plan = await this.repository.load(id);
    if (plan) this.remember(id, plan);
    return plan;
  }
}
