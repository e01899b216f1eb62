/** `exit`: the contact leaves the flow here. No outputs. */
import { z } from "zod";
import { defineNode } from "./define";

export const ExitConfig = z.strictObject({});
export type ExitConfig = z.infer<typeof ExitConfig>;

export const exit = defineNode({
  kind: "exit",
  traits: { waits: false, branches: false, channel: null, palette: { group: "Other", order: 3 } },
  label: "Exit",
  description: "End the flow for the contact.",
  configSchema: ExitConfig,
  outputs: () => [],
  outputLabel: (_config, handle) => handle,
  summary: () => "Exit",
  validate: () => [],
  step: () => ({ type: "exit" }),
  defaultConfig: (): ExitConfig => ({}),
  eventNames: () => [],
});
