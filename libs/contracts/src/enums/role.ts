/** API roles (interfaces.md): each includes the rights of the ones before it. */
export enum Role {
  Viewer = 'viewer',
  Operator = 'operator',
  Admin = 'admin',
}

export const ROLE_RANK: Readonly<Record<Role, number>> = {
  [Role.Viewer]: 0,
  [Role.Operator]: 1,
  [Role.Admin]: 2,
};

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLE_RANK[held] >= ROLE_RANK[needed];
}
