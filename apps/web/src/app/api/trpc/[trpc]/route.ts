import { handleApiRequest } from "@hourglass/engine/api";
import { getEngine } from "@/lib/engine";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleApiRequest(req, getEngine(), (message) => console.error(`[api] ${message}`));

export { handler as GET, handler as POST };
