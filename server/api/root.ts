import { createCallerFactory, router } from "./trpc";
import { analyticsRouter } from "./routers/analytics";
import { apiKeysRouter } from "./routers/api-keys";
import { couponsRouter } from "./routers/coupons";
import { contactsRouter } from "./routers/contacts";
import { dashboardRouter } from "./routers/dashboard";
import { enrollmentsRouter } from "./routers/enrollments";
import { flowsRouter } from "./routers/flows";
import { outboxRouter } from "./routers/outbox";
import { previewRouter } from "./routers/preview";
import { backtestRouter } from "./routers/simulate-backtest";
import { stepReportRouter } from "./routers/step-report";
import { workspaceRouter } from "./routers/workspace";

export const appRouter = router({
  workspace: workspaceRouter,
  analytics: analyticsRouter,
  dashboard: dashboardRouter,
  flows: flowsRouter,
  contacts: contactsRouter,
  enrollments: enrollmentsRouter,
  outbox: outboxRouter,
  apiKeys: apiKeysRouter,
  coupons: couponsRouter,
  preview: previewRouter,
  stepReport: stepReportRouter,
  simulate: router({ backtest: backtestRouter }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
