import { Badge } from "@/components/ui/badge";

export function ConsentBadge({ label, status }: { label: string; status: string }) {
  return (
    <Badge
      tone={status === "subscribed" ? "live" : status === "unsubscribed" ? "danger" : "neutral"}
    >{`${label}: ${status}`}</Badge>
  );
}
