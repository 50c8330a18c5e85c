// Stands in for the engine's api/trpc.ts when the client's types are bundled
// (build/build.mjs). A router's type names the server's context and procedure
// meta; a client never sees either, and the real ones reach the whole engine
// (its database, Prisma's types), which the published package must not carry.
export interface ApiContext {}
export interface ApiMeta {}
