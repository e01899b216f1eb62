"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { Mail, TicketPercent } from "lucide-react";
import { emailCatalog, isEmailTemplateKey } from "@/emails/catalog";
import { email, EMAIL_TEXT_FIELDS, type EmailConfig } from "@/server/engine/nodes/email";
import { Button } from "@/components/ui/button";
import type { CanvasNodeOf } from "../graph-canvas";
import { appendTag, CategoryField, SmartSendingField, MergeFieldInsert } from "../inspector/common-fields";
import { CouponPoolField } from "../inspector/coupon-pool-field";
import { useNodeForm, useTriggerEvent } from "../inspector/use-node-form";
import { CheckboxField, SelectField, Section, TextAreaField, TextField, type Option } from "../ui/form";
import { EmailPreviewSlot } from "./email-preview-slot";
import { CardDetail, NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

const TEMPLATES: Option[] = Object.entries(emailCatalog).map(([key, t]) => ({ value: key, label: t.name }));

const PRODUCTS: Option<EmailConfig["productSource"]>[] = [
  { value: "none", label: "No products" },
  { value: "cart", label: "Items in the cart" },
  { value: "order", label: "Items in the order" },
  { value: "last_viewed", label: "Last viewed product" },
  { value: "recommendations", label: "Recommended products" },
];

/** The template's own copy, as an email step's content. */
export function templateContent(key: string): EmailConfig | null {
  if (!isEmailTemplateKey(key)) return null;
  const { couponCode, ...content } = emailCatalog[key].defaultContent;
  return couponCode === undefined ? content : { ...content, couponCode };
}

/** True when the step's copy is still its template's own, untouched: choosing another template may replace it. */
export function isTemplateCopy(config: EmailConfig): boolean {
  const copy = templateContent(config.template);
  if (!copy) return false;
  return EMAIL_TEXT_FIELDS.every((f) => (config[f] ?? "") === (copy[f] ?? ""));
}

/** The first template of the catalogue, which a new email step starts on, with its copy. */
export function initialEmailConfig(): EmailConfig {
  const first = Object.keys(emailCatalog)[0];
  const copy = first ? templateContent(first) : null;
  return copy ?? email.defaultConfig();
}

function EmailInspector({ nodeId, config }: InspectorProps<"email">) {
  const { draft, change, error } = useNodeForm("email", nodeId, config);
  const triggerEvent = useTriggerEvent();
  const set = (patch: Partial<EmailConfig>) => change({ ...draft, ...patch });
  const known = isEmailTemplateKey(draft.template);
  // Copy nobody wrote (blank, or the template's own untouched) follows the chosen template.
  const blankCopy = (draft.subject.trim() === "" && draft.body.trim() === "") || isTemplateCopy(draft);
  return (
    <>
      <Section title="Template" className="px-0 pt-0">
        <SelectField
          label="Email template"
          value={known ? draft.template : ""}
          placeholder={
            draft.template && !known
              ? `Unknown template “${draft.template}” — choose one`
              : "Choose a template…"
          }
          options={TEMPLATES}
          onChange={(template) => {
            const copy = templateContent(template);
            // A fresh email takes the template's copy; written copy is kept unless asked.
            change(blankCopy && copy ? copy : { ...draft, template });
          }}
          error={error("template")}
          hint={known ? emailCatalog[draft.template as keyof typeof emailCatalog].description : undefined}
        />
        {known && !blankCopy && (
          <Button
            type="button"
            size="sm"
            variant="ghost"
            className="self-start"
            onClick={() => {
              const copy = templateContent(draft.template);
              if (copy) change(copy);
            }}
          >
            Use this template&apos;s copy
          </Button>
        )}
      </Section>
      <Section title="Copy" className="px-0">
        <TextField
          label="Subject"
          value={draft.subject}
          onChange={(subject) => set({ subject })}
          error={error("subject")}
        />
        <MergeFieldInsert
          label="Insert a merge field into the subject"
          onInsert={(tag) => set({ subject: appendTag(draft.subject, tag) })}
        />
        <TextField
          label="Preview text"
          value={draft.preheader}
          onChange={(preheader) => set({ preheader })}
          hint="Shown after the subject in the inbox."
          error={error("preheader")}
        />
        <TextField
          label="Heading"
          value={draft.heading}
          onChange={(heading) => set({ heading })}
          error={error("heading")}
        />
        <TextAreaField
          label="Body"
          rows={7}
          value={draft.body}
          onChange={(body) => set({ body })}
          error={error("body")}
          hint="Blank lines start new paragraphs."
        />
        <MergeFieldInsert
          label="Insert a merge field into the body"
          onInsert={(tag) => set({ body: appendTag(draft.body, tag) })}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField
            label="Button text"
            value={draft.buttonText}
            onChange={(buttonText) => set({ buttonText })}
            error={error("buttonText")}
          />
          <TextField
            label="Button link"
            value={draft.buttonUrl}
            onChange={(buttonUrl) => set({ buttonUrl })}
            placeholder="https://… or {{ cart.checkout_url }}"
            error={error("buttonUrl")}
          />
        </div>
        <CheckboxField
          label="Include a coupon code"
          checked={draft.couponCode !== undefined}
          onChange={(on) => {
            if (on) set({ couponCode: "" });
            else {
              const { couponCode: _removed, ...rest } = draft;
              change(rest);
            }
          }}
        />
        {draft.couponCode !== undefined && (
          <TextField
            label="Coupon code"
            value={draft.couponCode}
            onChange={(couponCode) => set({ couponCode })}
            error={error("couponCode")}
            hint="A fixed code, or {{ coupon.code }} for a unique code from the pool below."
          />
        )}
        <CouponPoolField
          value={draft.couponPool}
          error={error("couponPool")}
          onChange={(couponPool) => {
            const { couponPool: _old, ...rest } = draft;
            if (couponPool === undefined) change(rest);
            // Turning the pool on shows its code in the coupon block unless a code is set.
            else
              change({
                ...rest,
                couponPool,
                couponCode: draft.couponCode?.trim() ? draft.couponCode : "{{ coupon.code }}",
              });
          }}
        />
        <SelectField
          label="Product block"
          value={draft.productSource}
          options={PRODUCTS}
          onChange={(productSource) => set({ productSource })}
        />
        <CategoryField value={draft.category} onChange={(category) => set({ category })} />
        <SmartSendingField
          category={draft.category}
          value={draft.smartSending}
          onChange={(smartSending) => set({ smartSending })}
          channelName="email"
        />
      </Section>
      <Section title="Preview" className="px-0 pb-0">
        <EmailPreviewSlot nodeId={nodeId} content={draft} triggerEventName={triggerEvent} />
      </Section>
    </>
  );
}

const EmailCard = memo(function EmailCard({ id, data, selected }: NodeProps<CanvasNodeOf<"email">>) {
  const template = isEmailTemplateKey(data.template) ? emailCatalog[data.template].name : null;
  return (
    <NodeCard id={id} kind="email" config={data} selected={selected} icon={Mail} tone="sky">
      {(template || data.couponCode) && (
        <CardDetail>
          {template}
          {data.couponCode ? (
            <span className="ml-1.5 inline-flex items-center gap-0.5 rounded bg-emerald-50 px-1 font-medium text-emerald-800">
              <TicketPercent className="size-3" aria-hidden /> {data.couponCode || "coupon"}
            </span>
          ) : null}
        </CardDetail>
      )}
    </NodeCard>
  );
});

export const emailUi: NodeUi<"email"> = {
  icon: Mail,
  tone: "sky",
  Card: EmailCard,
  Inspector: EmailInspector,
  // A new email starts on the first real template with its copy; choosing another template
  // swaps the copy in as long as nobody has edited it.
  initialConfig: initialEmailConfig,
};
