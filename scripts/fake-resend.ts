/**
 * Runs the fake Resend API locally, for trying the Resend provider without an account
 * or for benchmarks:
 *
 *   npx tsx scripts/fake-resend.ts            # port 3025
 *   PORT=4000 npx tsx scripts/fake-resend.ts
 *
 * then start the app with RESEND_API_KEY=re_test RESEND_BASE_URL=http://127.0.0.1:3025
 */
import { startFakeResend } from "../server/testing/fake-resend-server";

const port = Number(process.env.PORT ?? 3025);
const fake = await startFakeResend({ port });
console.log(`Fake Resend listening on ${fake.url} (any re_… API key)`);

const report = setInterval(() => {
  const n = fake.received().length;
  if (n > 0) console.log(`${n} emails received, ${fake.requests().length} requests`);
}, 10_000);

async function stop() {
  clearInterval(report);
  console.log(`Received ${fake.received().length} emails in ${fake.requests().length} requests.`);
  await fake.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
