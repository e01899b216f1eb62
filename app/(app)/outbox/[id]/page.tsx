import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { ArrowLeft } from "lucide-react";
import { getCaller } from "@/trpc/server";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { MessageView } from "@/components/outbox/message-view";

export const metadata: Metadata = { title: "Message · Outbox" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const caller = await getCaller();
  const message = await caller.outbox.get({ id }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const title =
    message.subject ??
    (message.channel === "sms"
      ? "Text message"
      : message.channel === "push"
        ? "Push notification"
        : "(no subject)");
  const kind =
    message.channel === "email" ? "Email" : message.channel === "sms" ? "SMS" : "Push notification";
  return (
    <>
      <PageHeader
        title={title}
        description={`${kind} to ${message.toAddress ?? "—"}${message.isTest ? " · test send" : message.flowName ? ` · ${message.flowName}` : ""}`}
        actions={
          <Button asChild variant="ghost">
            <Link href="/outbox">
              <ArrowLeft aria-hidden /> Outbox
            </Link>
          </Button>
        }
      />
      <MessageView message={message} />
    </>
  );
}
