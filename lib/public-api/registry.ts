import { z } from "zod";

/** The named schemas of the public API: each is one entry of the document's `components.schemas`. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
