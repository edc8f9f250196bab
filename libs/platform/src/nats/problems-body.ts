import { ErrorCodes, type ErrorBody, type ProblemDto } from '@ferry/contracts';
import { formatProblem, type Problem } from '@ferry/plan';

/** How many problems the one-line message quotes. */
const QUOTED = 3;

/**
 * How many problems a reply lists: an Ansible inventory with a bad version on each of 10,000 hosts
 * has 10,000 problems, and a reply must stay under NATS's 1 MiB message limit. The count is exact.
 * Used by every service whose requests carry operator input (collect, slice).
 */
export const MAX_LISTED_PROBLEMS = 500;

/** The INPUT.INVALID reply for input problems: every problem (up to the limit) with its file and path. */
export function inputProblemsBody(problems: readonly Problem[], what: string): ErrorBody {
  const quoted = problems.slice(0, QUOTED).map(formatProblem).join('; ');
  const more = problems.length > QUOTED ? `; and ${problems.length - QUOTED} more` : '';
  const listed: ProblemDto[] = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => ({ path: p.path, message: p.message, code: p.code, file: p.file }));
  if (problems.length > MAX_LISTED_PROBLEMS) {
    listed.push({
      path: '',
      message: `… and ${problems.length - MAX_LISTED_PROBLEMS} more problems, not listed`,
      code: ErrorCodes.INPUT_INVALID,
    });
  }
  return {
    error: ErrorCodes.INPUT_INVALID,
    message: `${problems.length} problem(s) in ${what}: ${quoted}${more}`,
    problems: listed,
  };
}
