// What the shells install so a promise that fails with nobody waiting on it is logged instead of
// ending the desk: Node's default for an unhandled rejection is to exit, taking the clerk's open work
// and the database connection with it. The call that caused it has already been answered (the router
// answers every call), so the desk carries on.
import type { Logger } from '../../common/logger.ts';

/** Logs unhandled rejections from now on; returns the function that stops it. */
export function logUnhandledRejections(log: Logger): () => void {
  const onRejection = (reason: unknown) => log.error('process: unhandled rejection (kept running)', { err: reason });
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('unhandledRejection', onRejection);
  };
}
