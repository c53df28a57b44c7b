// Who the audit log names for a change made from the command line: the operating-system user.
import { userInfo } from 'node:os';

export const cliActor = () => `cli:${userInfo().username}`;
