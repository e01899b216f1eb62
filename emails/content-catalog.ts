/**
 * The catalog the flow validator checks message steps against — email template keys,
 * merge fields and filters, and which fields each trigger event can fill — built as plain
 * data from the same lists the renderer and sender use. Publish and the canvas pass it
 * to `validateGraph`.
 */
import type { ContentCatalog } from "@/server/engine/catalog";
import { emailTemplateKeys } from "./catalog";
import {
  CART_EVENTS,
  MERGE_FIELDS,
  MERGE_FILTERS,
  mergeKeysForTrigger,
  ORDER_EVENTS,
  PRODUCT_EVENTS,
} from "./merge-fields";

const triggerEvents = [...new Set([...CART_EVENTS, ...ORDER_EVENTS, ...PRODUCT_EVENTS])];

export const contentCatalog: ContentCatalog = {
  emailTemplates: [...emailTemplateKeys],
  mergeFields: MERGE_FIELDS.map((f) => ({ key: f.key })),
  mergeFilters: MERGE_FILTERS,
  baseFields: mergeKeysForTrigger(undefined),
  fieldsByTriggerEvent: Object.fromEntries(triggerEvents.map((name) => [name, mergeKeysForTrigger(name)])),
};
