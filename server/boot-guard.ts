/**
 * The web server's part of surviving a database restart. Its in-process executor retries and
 * listens again by itself; but postgres.js 3.4.9 can throw from a timer, outside any query,
 * when the server goes away (porsager/postgres #1154), leaving its connection pool in an
 * unknown state. Such an error ends the process with code 70, so `npm start` (or systemd)
 * starts a fresh one; claims are leases, so nothing in flight is lost. Other uncaught errors
 * keep Next's own handling.
 */
export function isDriverFault(error: unknown): boolean {
  return error instanceof Error && /[\\/]node_modules[\\/]postgres[\\/]/.test(error.stack ?? "");
}

export function exitOnDriverFault() {
  process.on("uncaughtException", (error) => {
    if (!isDriverFault(error)) return;
    console.error(
      `[tidings ${process.pid}] the database driver failed outside any query; exiting for a restart:`,
      error,
    );
    process.exit(70);
  });
}
