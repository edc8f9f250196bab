/** Ansible inventories (INI, YAML, `ansible-inventory --list` JSON) as Ferry inventories: pure parsing, no I/O. */
export * from './model';
export * from './host-pattern';
export * from './ini-value';
export * from './ini';
export * from './yaml';
export * from './to-ferry';
