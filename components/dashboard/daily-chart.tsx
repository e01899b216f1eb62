"use client";
/** Entered, sent and conversions per day (left axis) with revenue as bars (right axis). */
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { DayPoint } from "@/server/analytics/dashboard";

const shortDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const dayLabel = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));

export function DailyChart({ series, currency }: { series: DayPoint[]; currency: string }) {
  const money = new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 });
  const data = series.map((p) => ({ ...p, revenue: p.revenueCents / 100 }));
  return (
    <figure
      className="h-72 w-full"
      data-testid="daily-chart"
      aria-label="Entered, sent, conversions and revenue per day"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis
            dataKey="day"
            tickFormatter={dayLabel}
            tick={{ fontSize: 12, fill: "#475569" }}
            minTickGap={16}
          />
          <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} width={40} />
          <YAxis
            yAxisId="money"
            orientation="right"
            tickFormatter={(v: number) => money.format(v)}
            tick={{ fontSize: 12, fill: "#475569" }}
            width={64}
          />
          <Tooltip
            labelFormatter={(label) => (typeof label === "string" ? dayLabel(label) : "")}
            formatter={(value, name) =>
              name === "Revenue" ? money.format(Number(value)) : Number(value).toLocaleString("en")
            }
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="money"
            dataKey="revenue"
            name="Revenue"
            fill="#c7d2fe"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Line
            yAxisId="count"
            type="monotone"
            dataKey="entered"
            name="Entered"
            stroke="#4f46e5"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="count"
            type="monotone"
            dataKey="sent"
            name="Sent"
            stroke="#0891b2"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="count"
            type="monotone"
            dataKey="conversions"
            name="Conversions"
            stroke="#059669"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
