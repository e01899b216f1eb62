/**
 * The flow engine's public API: graph schema and parsing, the node registry, the
 * validator, the interpreter and its helpers, time maths, and the seed templates.
 * Pure: nothing here performs I/O or reads the clock.
 */
export {
  FlowGraph,
  FlowNode,
  FlowEdge,
  Position,
  emptyGraph,
  starterGraph,
  parseGraph,
  inspectGraph,
  describeZodIssue,
  nodesById,
  edgeFrom,
  triggerNode,
} from "./graph";
export type { FlowNodeOf, ParseGraphResult, InspectedGraph, InspectedNode } from "./graph";

export { FlowSettings, Goal, Reentry, ReentryMode, QuietHoursSetting, defaultSettings } from "./settings";

export {
  Channel,
  MessageCategory,
  TriggerData,
  WaitingState,
  WaitReason,
  EnrollmentState,
  emptyState,
  triggerDataFromEvent,
} from "./facts";
export type { ConsentStatus, ContactFacts, EventFact, Facts, Enrollment } from "./facts";

export type {
  Advance,
  AdvanceStatus,
  Effect,
  StepEffect,
  StepDetail,
  SendEffect,
  SkipEffect,
  SkipReason,
  ActionEffect,
  ConvertEffect,
  ExitEffect,
  ExitReason,
} from "./effects";

export type { Issue, IssueCode } from "./issues";

export {
  Predicate,
  Operator,
  CountOperator,
  PropertySource,
  SinceWindow,
  Scalar,
  ORDER_EVENT,
  evaluatePredicate,
  describePredicate,
  predicateProblems,
  predicateEventNames,
  readContactField,
  when,
} from "./predicate";
export type { PredicateScope } from "./predicate";

export { NodeKind, nodeDefinitions, definitionOf, isNodeKind, WAITING_KINDS } from "./nodes";
export type { NodeConfig, NodeDefinition, StepContext, StepResult, ValidateContext } from "./nodes";
export {
  TriggerConfig,
  Recurrence,
  BACK_IN_STOCK_EVENT,
  nextOccurrence,
  nextScheduled,
  matchesEventTrigger,
  inactivityDueAt,
} from "./nodes/trigger";
export type { TriggerContact } from "./nodes/trigger";
export { WaitConfig, wakeTime } from "./nodes/wait";
export { WaitForEventConfig } from "./nodes/wait_for_event";
export { ConditionConfig, ConditionBranch, ELSE_HANDLE } from "./nodes/condition";
export { SplitConfig, SplitBranch, pickBranch } from "./nodes/split";
export { EmailConfig, ProductSource } from "./nodes/email";
export { SmsConfig, SMS_MAX_LENGTH } from "./nodes/sms";
export { PushConfig } from "./nodes/push";
export { ActionConfig } from "./nodes/action";
export { ExitConfig } from "./nodes/exit";

export { validateGraph, canConnect } from "./validate";
export type { GraphLike, Connection } from "./validate";

export {
  advance,
  requiredEventNames,
  usesEngagement,
  eventValueCents,
  MAX_STEPS_PER_ADVANCE,
  evaluateEntry,
  startEnrollment,
  migrateEnrollment,
} from "./step";
export type { EntryDecision, EntryInput, EntryReason, Migration } from "./step";

export {
  Duration,
  DurationUnit,
  Weekday,
  resolveZone,
  isValidZone,
  parseClock,
  addDuration,
  nextLocalTime,
  quietHoursEnd,
  dateOccurrence,
  parseCalendarDate,
  localInstant,
  MINUTE,
  HOUR,
  DAY,
} from "./time";
export type { Clock, CalendarDate, QuietHours } from "./time";
export { cronToRules, describeRule, nextRuleTime, parseRule, ruleProblem } from "./schedule-rule";

export { flowTemplates, getFlowTemplate, FLOW_TEMPLATE_KEYS } from "./templates";
export type { FlowTemplate, FlowTemplateKey, FlowTemplateCategory } from "./templates";
