/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM + data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  // `npm test` type-checks the whole tree with tsc first; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Lets several builds live side by side (e.g. parallel e2e runs on one machine).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // A checkout whose node_modules links to another folder (a git worktree sharing one install)
  // builds with NEXT_TURBOPACK_ROOT set to a folder that holds both.
  ...(process.env.NEXT_TURBOPACK_ROOT ? { turbopack: { root: process.env.NEXT_TURBOPACK_ROOT } } : {}),
  // Plain security headers on every response (pages get their CSP from proxy.ts; see
  // server/security/headers.ts). HSTS when a proxy in front says the request came over https.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
      },
    ];
  },
};

export default nextConfig;
