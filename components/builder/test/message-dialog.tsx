"use client";
/** One message of a test run, as it would be sent: email at desktop or phone width or as plain text; SMS; push. */
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import {
  DeviceToggle,
  EmailFrame,
  InboxHeader,
  PhoneFrame,
  PlainText,
  PushNotification,
  SmsBubble,
  ViewToggle,
  type Device,
  type EmailView,
} from "@/components/email-preview";
import { Dialog } from "../ui/dialog";
import type { SimStepView } from "./test-panel";

export function MessageDialog({ step, onClose }: { step: SimStepView | null; onClose: () => void }) {
  const trpc = useTRPC();
  const workspace = useQuery({ ...trpc.workspace.current.queryOptions(), enabled: step !== null });
  const [device, setDevice] = useState<Device>("desktop");
  const [view, setView] = useState<EmailView>("html");
  const message = step?.message;
  const shop = workspace.data?.name ?? "Your shop";
  return (
    <Dialog
      open={step !== null}
      onOpenChange={(open) => !open && onClose()}
      title={step?.text ?? "Message"}
      description="Rendered exactly as it would be sent at this point of the test. Not sent."
      className="w-[min(760px,calc(100vw-2rem))]"
      testId="test-message"
    >
      {message?.channel === "email" && (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center justify-end gap-2">
            <DeviceToggle value={device} onChange={setDevice} />
            <ViewToggle value={view} onChange={setView} />
          </div>
          <InboxHeader from={shop} subject={message.subject ?? ""} preheader="" />
          {view === "html" && message.html ? (
            <EmailFrame html={message.html} device={device} title="Test email" />
          ) : (
            <PlainText text={message.text} />
          )}
        </div>
      )}
      {message?.channel === "sms" && (
        <PhoneFrame label="Text message">
          <SmsBubble sender={shop} body={message.text} />
        </PhoneFrame>
      )}
      {message?.channel === "push" && (
        <PhoneFrame label="Push notification">
          <PushNotification app={shop} title={message.title ?? ""} body={message.text} url={message.url} />
        </PhoneFrame>
      )}
    </Dialog>
  );
}
