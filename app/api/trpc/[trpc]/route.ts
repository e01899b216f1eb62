import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createRequestContext } from "@/server/api/context";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createRequestContext(req.headers),
    // Previews carry a whole draft as their input: the client sends those queries as POST.
    allowMethodOverride: true,
    // Internal errors are logged by the error formatter, with the id the client is shown.
  });

export { handler as GET, handler as POST };
