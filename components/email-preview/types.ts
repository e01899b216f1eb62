import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>["preview"];
type In = inferRouterInputs<AppRouter>["preview"];

export type EmailPreviewResult = Out["email"];
export type SmsPreviewResult = Out["sms"];
export type PushPreviewResult = Out["push"];
export type PreviewContactItem = Out["contacts"][number];
export type PreviewEventItem = Out["triggerEvents"][number];
export type PreviewSource = EmailPreviewResult["source"];
export type MergeProblemItem = EmailPreviewResult["problems"][number];
export type EmptyFieldItem = EmailPreviewResult["empty"][number];

export type EmailContentInput = In["email"]["content"];
export type SmsContentInput = In["sms"]["content"];
export type PushContentInput = In["push"]["content"];

/** Who the preview is for: sample data, or a contact and (optionally) one of their events. */
export type PreviewPick = { contactId?: string; eventId?: string };
