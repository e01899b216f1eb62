export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { exitOnDriverFault } = await import("./server/boot-guard");
  exitOnDriverFault();
  const { stampPeerAddresses } = await import("./server/auth/peer-address");
  stampPeerAddresses();
  const { boot } = await import("./server/boot");
  await boot();
}
