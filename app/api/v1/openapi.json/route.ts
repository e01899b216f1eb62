import { appUrl, env } from "@/server/env";
import { handleOpenApi, handlePreflight } from "@/server/ingest/handlers";

export function GET(req: Request) {
  return handleOpenApi(req, env().APP_URL ? appUrl() : undefined);
}

export function OPTIONS() {
  return handlePreflight();
}
