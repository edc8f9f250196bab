/**
 * The three inputs after parsing and structural validation (logic-book.md §1–3). Lists are
 * always lists here even where the file allowed a single string.
 */

export interface ComponentSpec {
  readonly name: string;
  readonly version: string;
}

export interface NodeSpec {
  readonly id: string;
  readonly address?: string;
  readonly roles: readonly string[];
  readonly groups: Readonly<Record<string, string>>;
  readonly components: readonly ComponentSpec[];
}

export interface Inventory {
  readonly nodes: readonly NodeSpec[];
}

/** `targets` of a package, or `where` of a phase: every key given must match. */
export interface HostSelector {
  readonly roles?: readonly string[];
  readonly nodes?: readonly string[];
  readonly groups?: Readonly<Record<string, readonly string[]>>;
}

export interface PackageSpec {
  readonly component: string;
  readonly version: string;
  readonly mode: string;
  readonly rpms: readonly string[];
  readonly targets?: HostSelector;
}

export interface Descriptor {
  readonly name: string;
  readonly releases: readonly string[];
  readonly packages: readonly PackageSpec[];
  readonly nodes: {
    readonly add: readonly NodeSpec[];
    readonly remove: readonly string[];
  };
}

export interface Where extends HostSelector {
  readonly components?: readonly string[];
}

export interface Split {
  readonly canary?: number;
  readonly by?: string;
  readonly size?: number;
  readonly count?: number;
}

export interface When {
  readonly release?: readonly string[];
  readonly upgrading?: readonly string[];
  readonly membership?: boolean;
}

interface PhaseBase {
  /** Position in the logic book's `phases`, for error paths. */
  readonly index: number;
  readonly name: string;
  readonly perRelease: boolean;
  readonly when?: When;
  /** The keys the file gave, so rules can tell "absent" from "defaulted". */
  readonly keys: readonly string[];
}

export interface HostPhase extends PhaseBase {
  readonly scope: 'host';
  readonly actions: readonly string[];
  readonly where?: Where;
  /** Each item is one layer: a component or several components together. */
  readonly order?: readonly (readonly string[])[];
  readonly after?: Readonly<Record<string, readonly string[]>>;
  readonly split?: Split;
  readonly oncePer?: 'role';
  readonly once: boolean;
  readonly verify: string | null;
}

export interface GlobalPhase extends PhaseBase {
  readonly scope: 'global';
  readonly target: string;
  readonly action: string;
}

export type Phase = HostPhase | GlobalPhase;

export interface LogicBook {
  readonly name: string;
  readonly modes: Readonly<Record<string, readonly string[]>>;
  readonly undo: Readonly<Record<string, string>>;
  readonly commands: Readonly<Record<string, readonly string[]>>;
  readonly invariants: { readonly odd: readonly string[] };
  readonly phases: readonly Phase[];
}

/** File names used in problem reports. */
export interface InputFiles {
  readonly inventory: string;
  readonly descriptor: string;
  readonly logicBook: string;
}

export const DEFAULT_FILES: InputFiles = {
  inventory: 'inventory',
  descriptor: 'descriptor',
  logicBook: 'logic book',
};
