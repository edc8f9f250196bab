/**
 * Every stable error code Ferry's pure core can report, with what it means. The CLI's help, the API
 * documentation and the test that pins one failing input per code all read this table.
 */
export const PROBLEM_CODES = {
  'INPUT.SYNTAX': 'the file is not valid YAML or JSON',
  'INPUT.UNKNOWN_KEY':
    'a key the format does not know (a typo must not silently change an upgrade)',
  'INPUT.MISSING_KEY': 'a required key is missing',
  'INPUT.TYPE': 'a value has the wrong type',
  'INPUT.INVALID': 'a value is out of range or empty where it may not be',
  'INPUT.BAD_NAME':
    'a name holds a character that is not allowed (only letters, digits, ".", "-"; ":" in node ids)',
  'INPUT.VERSION_NOT_STRING': 'a version is not a string (write "1.10", not 1.10)',
  'INVENTORY.DUPLICATE_NODE': 'two nodes share one id',
  'INVENTORY.DUPLICATE_COMPONENT': 'a node lists one component twice',
  'DESCRIPTOR.UNKNOWN_MODE':
    'a package (or a membership change) needs a mode the logic book does not define',
  'DESCRIPTOR.PACKAGE_OVERLAP': 'two packages of one component both apply to the same host',
  'DESCRIPTOR.ADD_EXISTS': 'a node to add already exists',
  'DESCRIPTOR.REMOVE_MISSING': 'a node to remove does not exist',
  'DESCRIPTOR.DUPLICATE_MEMBERSHIP':
    'a node is added twice, removed twice, or both added and removed',
  'DESCRIPTOR.UNKNOWN_NODE':
    "a package's targets name a node that is neither in the inventory nor added",
  'DESCRIPTOR.DUPLICATE_RELEASE': 'a release is listed twice',
  'LOGIC.DUPLICATE_PHASE': 'two phases share one name',
  'LOGIC.DUPLICATE_ACTION': 'an action is listed twice in one mode or one phase',
  'LOGIC.UNKNOWN_PHASE': 'a command names a phase that does not exist',
  'LOGIC.UNKNOWN_ACTION': "a host phase's action is in no mode, so it could never create a task",
  'LOGIC.ACTION_AND_ACTIONS': 'a phase needs exactly one of `action` and `actions`',
  'LOGIC.ORDER_AND_AFTER': '`order` and `after` on one phase',
  'LOGIC.ORDER_DUPLICATE': 'a component appears twice in one `order`',
  'LOGIC.CYCLE': '`after` relations form a cycle',
  'LOGIC.SPLIT_COUNT': '`split.count` together with `by` or `size`',
  'LOGIC.ONCE_BOTH': '`once_per` and `once` on one phase',
  'LOGIC.GLOBAL_KEYS': 'a global phase with a key only host phases have, or without its `target`',
  'LOGIC.TARGET_WITHOUT_GLOBAL': '`target` on a phase that is not `scope: global`',
  'LOGIC.RELEASE_OUTSIDE_BLOCK': '`when.release` on a phase outside a per-release block',
  'LOGIC.UNKNOWN_REF': 'a phase names a component, role, node or release that exists nowhere',
  'PLAN.INVARIANT_ODD':
    'after membership changes, a role listed in `invariants.odd` has an even number of hosts',
  'PLAN.DUPLICATE_TASK': 'two phases would create the same task id',
  'PLAN.MODE_ORDER': "an instance's tasks would run out of its mode's action order",
  'PLAN.FORMAT': 'a file is not a Ferry plan (`format` is not ferry.plan/v1)',
  'PLAN.UNKNOWN_TASK': 'the mission holds a task id that `tasks` does not describe',
  'PLAN.TASK_TWICE': 'a task appears more than once in the mission',
  'PLAN.TASK_UNSCHEDULED': '`tasks` describes a task that the mission does not hold',
  'PLAN.FOREIGN_TASK': 'a job holds a task of another host',
  'PLAN.HOST_TWICE': 'one batch holds two jobs for the same host',
  'PLAN.TASK_ID': "a task's id does not match its host, target, action and release",
  'PLAN.UNKNOWN_MODE': "a task's mode is not a mode of the logic book",
  'SLICE.COMMAND_AND_PHASES': 'a slicing command with both `command` and `phases`',
  'SLICE.UNKNOWN_COMMAND': 'a command name the plan does not define',
  'SLICE.UNKNOWN_PHASE': 'a phase name the plan does not hold',
  'SLICE.UNKNOWN_HOST': 'a host the plan does not know',
  'SLICE.UNKNOWN_COMPONENT': 'a component (or global target) that no task of the plan has',
  'SLICE.UNKNOWN_ROLE': 'a role no host of the plan holds',
  'SLICE.UNKNOWN_INSTANCE': 'a host/component pair with no task in the plan',
  'SLICE.UNKNOWN_ACTION': 'an action no task of the plan has',
  'SLICE.REGROUP':
    'a regroup that does not place every host of the phase exactly once, or names a global phase',
  'SIM.BAD_URL': 'a sim:// URL with an unknown or malformed parameter',
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;
