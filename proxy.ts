import { NextResponse, type NextRequest } from "next/server";
import { badPathResponse, pathProblem } from "@/server/http/path-guard";

/** Runs before routing: refuses paths whose segments cannot be decoded (400, never a 500). */
export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const problem = pathProblem(pathname);
  if (problem) return badPathResponse(pathname, problem);
  return NextResponse.next();
}

export const config = {
  // Static assets never carry a dynamic segment.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
