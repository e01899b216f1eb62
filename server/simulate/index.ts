/**
 * See a flow before it is published: run a draft for one contact on a virtual clock, or
 * replay it over the shop's past events. Both use the engine's own step function; nothing
 * is written and nothing is sent.
 */
export type {
  SimTrigger,
  SimInjection,
  SimStepKind,
  SimStep,
  SimMessage,
  ContactSimulation,
  NodeForecast,
  BacktestResult,
  BacktestOptions,
} from "./types";
export { simulateContact } from "./contact";
export type { SimulateContactInput } from "./contact";
export { backtest } from "./backtest";
export type { BacktestInput } from "./backtest";
