/** The JSON body of a request, or a 400 response saying it is not JSON. */
export async function jsonBody(req: Request): Promise<{ body: unknown } | { response: Response }> {
  try {
    return { body: await req.json() };
  } catch {
    return { response: Response.json({ error: "the request body must be JSON" }, { status: 400 }) };
  }
}

export const notFound = (what: string) => Response.json({ error: `${what} not found` }, { status: 404 });
