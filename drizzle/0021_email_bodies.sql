CREATE TABLE "rendered_designs" (
	"workspace_id" uuid NOT NULL,
	"hash" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rendered_designs_workspace_id_hash_pk" PRIMARY KEY("workspace_id","hash")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "body_design" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "body" "bytea";--> statement-breakpoint
ALTER TABLE "rendered_designs" ADD CONSTRAINT "rendered_designs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;