import { handleApiRequest } from "@hourglass/engine/api";
import { getApiOptions, getEngine } from "@/lib/engine";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleApiRequest(req, getEngine(), getApiOptions());

export { handler as GET, handler as POST };
