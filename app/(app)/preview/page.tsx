import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ArrowLeft, Inbox } from "lucide-react";
import { emailCatalog, emailTemplateKeys, isEmailTemplateKey, type EmailTemplateKey } from "@/emails/catalog";
import { sampleTriggers } from "@/emails/samples";
import { getCaller, getQueryClient, trpc } from "@/trpc/server";
import { HydrateClient } from "@/trpc/hydrate";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmailPreview } from "@/components/email-preview";

export const metadata: Metadata = { title: "Email templates" };

const THUMB_WIDTH = 300;
const THUMB_SCALE = THUMB_WIDTH / 680;

async function Thumbnail({ templateKey }: { templateKey: EmailTemplateKey }) {
  const caller = await getCaller();
  const preview = await caller.preview.email({ content: emailCatalog[templateKey].defaultContent });
  if (!preview.rendered)
    return (
      <div className="flex h-full items-center justify-center p-4 text-xs text-red-700">{preview.error}</div>
    );
  return (
    <iframe
      title={`${emailCatalog[templateKey].name} thumbnail`}
      aria-hidden
      tabIndex={-1}
      loading="lazy"
      sandbox=""
      srcDoc={preview.rendered.html}
      className="pointer-events-none block border-0"
      style={{ width: 680, height: 680, transform: `scale(${THUMB_SCALE})`, transformOrigin: "top left" }}
    />
  );
}

function Gallery() {
  return (
    <ul
      className="grid gap-5 px-8 py-6 [grid-template-columns:repeat(auto-fill,minmax(300px,1fr))]"
      aria-label="Email templates"
    >
      {emailTemplateKeys.map((key) => {
        const t = emailCatalog[key];
        return (
          <li key={key}>
            <Link
              href={`/preview?template=${key}`}
              className="group block overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm transition hover:border-indigo-300 hover:shadow-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
              data-testid="template-card"
            >
              <div
                className="h-[300px] overflow-hidden border-b border-slate-100 bg-slate-100"
                style={{ width: "100%" }}
              >
                <Suspense fallback={<div className="h-full animate-pulse bg-slate-100" />}>
                  <Thumbnail templateKey={key} />
                </Suspense>
              </div>
              <div className="px-4 py-3">
                <div className="flex items-center justify-between gap-2">
                  <h2 className="font-semibold text-slate-900 group-hover:text-indigo-800">{t.name}</h2>
                  <span
                    className={cn(
                      "rounded-full px-2 py-0.5 text-[11px] font-medium",
                      t.defaultContent.category === "marketing"
                        ? "bg-indigo-50 text-indigo-800"
                        : "bg-slate-100 text-slate-700",
                    )}
                  >
                    {t.defaultContent.category}
                  </span>
                </div>
                <p className="mt-1 text-sm text-slate-600">{t.description}</p>
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

async function TemplatePreview({ templateKey }: { templateKey: EmailTemplateKey }) {
  const template = emailCatalog[templateKey];
  const triggerEventName = sampleTriggers[templateKey].name;
  await getQueryClient().prefetchQuery(
    trpc.preview.email.queryOptions({ content: template.defaultContent, triggerEventName }),
  );
  return (
    <div className="flex gap-6 px-8 py-6">
      <nav aria-label="Templates" className="hidden w-52 shrink-0 lg:block">
        <ul className="space-y-0.5 text-sm">
          {emailTemplateKeys.map((key) => (
            <li key={key}>
              <Link
                href={`/preview?template=${key}`}
                aria-current={key === templateKey ? "page" : undefined}
                className={cn(
                  "block truncate rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100",
                  key === templateKey && "bg-indigo-50 font-medium text-indigo-800 hover:bg-indigo-50",
                )}
              >
                {emailCatalog[key].name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 max-w-4xl flex-1">
        <p className="mb-4 text-sm text-slate-600">
          {template.description} Triggered by{" "}
          <span className="font-medium text-slate-800">“{triggerEventName}”</span>. Preview it with sample
          data or with one of your contacts.
        </p>
        <HydrateClient>
          <EmailPreview content={template.defaultContent} triggerEventName={triggerEventName} layout="page" />
        </HydrateClient>
      </div>
    </div>
  );
}

export default async function PreviewPage({
  searchParams,
}: {
  searchParams: Promise<{ template?: string }>;
}) {
  const { template } = await searchParams;
  const key = template && isEmailTemplateKey(template) ? template : null;
  const outbox = (
    <Button asChild variant="secondary">
      <Link href="/outbox">
        <Inbox aria-hidden /> Outbox
      </Link>
    </Button>
  );
  if (!key) {
    return (
      <>
        <PageHeader
          title="Email templates"
          description="Every email your flows can send, shown with sample data and your shop’s branding. Open one to preview it with a real contact or send yourself a test."
          actions={outbox}
        />
        {template ? (
          <p
            role="alert"
            className="px-8 pt-4 text-sm text-red-700"
          >{`There is no template called “${template}”.`}</p>
        ) : null}
        <Gallery />
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={emailCatalog[key].name}
        description="Email preview"
        actions={
          <>
            <Button asChild variant="ghost">
              <Link href="/preview">
                <ArrowLeft aria-hidden /> All templates
              </Link>
            </Button>
            {outbox}
          </>
        }
      />
      <TemplatePreview templateKey={key} />
    </>
  );
}
