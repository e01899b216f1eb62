"use client";
/** New flow: start blank with a name, or from one of the templates (one click to a draft). */
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { flowTemplates } from "@/server/engine/templates";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Dialog } from "@/components/builder/ui/dialog";
import { TemplateGallery } from "./template-gallery";

const TEMPLATES = flowTemplates();

export function CreateFlowDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pendingTemplate, setPendingTemplate] = useState<string | null>(null);
  const opened = async (id: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
    router.push(`/flows/${id}`);
  };
  const create = useMutation(trpc.flows.create.mutationOptions({ onSuccess: (flow) => opened(flow.id) }));
  const fromTemplate = useMutation(
    trpc.flows.createFromTemplate.mutationOptions({
      onSuccess: (flow) => opened(flow.id),
      onError: () => setPendingTemplate(null),
    }),
  );

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get("name");
    create.mutate({ name: typeof name === "string" ? name : "" });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Create a flow"
      description="Start from scratch, or pick a proven flow and adjust it."
      className="w-[min(880px,calc(100vw-2rem))]"
      testId="create-flow-dialog"
    >
      <form onSubmit={onCreate} className="mb-6 flex items-end gap-3" aria-label="New flow">
        <div className="flex flex-1 flex-col gap-1.5">
          <Label htmlFor="flow-name">Flow name</Label>
          <Input
            id="flow-name"
            name="name"
            placeholder="e.g. Abandoned cart"
            autoFocus
            aria-invalid={create.error ? true : undefined}
            aria-describedby={create.error ? "flow-name-error" : undefined}
          />
          {create.error && (
            <p id="flow-name-error" role="alert" className="text-sm text-red-700">
              {create.error.message}
            </p>
          )}
        </div>
        <Button type="submit" disabled={create.isPending || pendingTemplate !== null}>
          Create
        </Button>
      </form>
      <h3 className="mb-3 text-sm font-semibold text-slate-900">Or start from a template</h3>
      {fromTemplate.error && (
        <p role="alert" className="mb-3 text-sm text-red-700">
          {fromTemplate.error.message}
        </p>
      )}
      <TemplateGallery
        templates={TEMPLATES}
        pending={pendingTemplate}
        onPick={(templateKey) => {
          setPendingTemplate(templateKey);
          fromTemplate.mutate({ templateKey });
        }}
      />
    </Dialog>
  );
}
