/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM + data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  // `npm test` type-checks the whole tree with tsc first; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Lets several builds live side by side (e.g. parallel e2e runs on one machine).
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
