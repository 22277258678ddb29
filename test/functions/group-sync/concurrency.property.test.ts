import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSRecord } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyncHandler, type SyncDeps } from "../../../functions/group-sync/create-sync-handler.ts";
import type { RecordReport } from "../../../functions/group-sync/outcome.ts";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import { DynamoDbLedgerStore } from "../../../functions/shared/ledger/dynamodb-ledger-store.ts";
import {
  type LedgerStore,
  SYNCED_FIELDS,
  type SyncedField,
} from "../../../functions/shared/ledger/ledger-store.ts";
import { compareWatermarks } from "../../../functions/shared/ledger/watermark.ts";
import { canonicalInstant } from "../../../functions/shared/time/canonical-instant.ts";
import { staticApiKey } from "../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../functions/shared/vitable/client.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import {
  DEFAULT_API_KEY,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../../local/vitable-emulator/index.ts";
import { drainQueue } from "../../support/drain-queue.ts";
import { makeContext, makeRecord } from "../../support/events.ts";
import {
  createLedgerTable,
  type DynaliteServer,
  dynamoClient,
  startDynalite,
} from "../shared/ledger/dynalite-ledger-table.ts";

// Several containers at once: independent runtimes (own API client, caches, limiter, DynamoDB client, group
// locks) share one DynamoDB-protocol ledger and one Vitable, with random delays at every ledger call and every
// PATCH, events addressed by id and by external reference, and every handed-back record delivered again.
const RUNS = 200;
const INSTANTS = [
  "2026-06-01T00:00:00Z",
  "2026-06-01T01:00:00Z",
  "2026-06-01T03:00:00+02:00",
  "2026-06-02T00:00:00Z",
];

let dynamo: DynaliteServer;
let emulator: RunningVitableEmulator;
let sqs: EmbeddedSqs;
let dlqUrl: string;
/** One table for every schedule: each schedule's groups, events and references are its own. */
let tableName: string;
const dynamoClients: DynamoDBClient[] = [];
let runCounter = 0;

beforeAll(async () => {
  [dynamo, emulator, sqs] = await Promise.all([
    startDynalite(),
    startVitableEmulator({ groups: [] }),
    startEmbeddedSqs(),
  ]);
  dlqUrl = (await createFifoQueueWithDlq(sqs.client, `concurrency-${process.pid}`)).dlqUrl;
  const admin = dynamoClient(dynamo.endpoint);
  dynamoClients.push(admin);
  tableName = await createLedgerTable(admin);
});

afterAll(async () => {
  for (const client of dynamoClients) client.destroy();
  await Promise.all([dynamo.close(), emulator.stop(), sqs.stop()]);
});

const eventArb = fc.record({
  group: fc.integer({ min: 0, max: 2 }),
  instant: fc.integer({ min: 0, max: INSTANTS.length - 1 }),
  fields: fc.subarray([...SYNCED_FIELDS], { minLength: 1 }),
  byReference: fc.boolean(),
});

const scheduleArb = fc.array(eventArb, { minLength: 2, maxLength: 9 }).chain((events) =>
  fc.record({
    events: fc.constant(events),
    containers: fc.integer({ min: 2, max: 4 }),
    fifo: fc.boolean(),
    deliveries: fc
      .array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 4 })
      .chain((extra) =>
        fc.shuffledSubarray([...events.keys(), ...extra], { minLength: events.length + extra.length }),
      ),
    batchSizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
    maxDelayMs: fc.integer({ min: 0, max: 6 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  }),
);

type Spec = { group: number; instant: number; fields: SyncedField[]; byReference: boolean };

describe("concurrency property: containers racing on shared groups", () => {
  it(`ends at the newest value per field with PATCHes in ledger order, over ${RUNS} random schedules`, async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArb, async (schedule) => {
        runCounter += 1;
        const run = runCounter;
        const groupIds = [0, 1, 2].map((g) => `grp_C${run}x${g}`);
        const initialRef = (g: number) => `ref-${run}-${g}-0`;
        for (const [g, id] of groupIds.entries()) {
          emulator.addGroup({ id, name: `seed-${g}`, external_reference_id: initialRef(g) });
        }
        const events = schedule.events.map((spec, index) => toEvent(spec, index, run, groupIds, initialRef));
        const random = prng(schedule.seed);
        const delay = () => new Promise((resolve) => setTimeout(resolve, random() * schedule.maxDelayMs));
        const reports: RecordReport[] = [];
        const containers = Array.from({ length: schedule.containers }, () =>
          container(tableName, delay, reports),
        );

        // Act: each round, every container takes a batch and they run at once; handed-back records return
        let pool = schedule.deliveries.map((eventIndex) => ({ eventIndex, receiveCount: 1 }));
        const decided = new Map<string, string[]>();
        for (let round = 0; pool.length > 0; round++) {
          if (round === 300) throw new Error(`not drained after 300 rounds: ${pool.length} deliveries left`);
          const batches = containers.map((_, c) => {
            const size = schedule.batchSizes[(round + c) % schedule.batchSizes.length] as number;
            const batch = pool.slice(0, size);
            pool = pool.slice(size);
            return batch;
          });
          await Promise.all(
            containers.map(async (handler, c) => {
              const batch = batches[c] ?? [];
              if (batch.length === 0) return;
              const records: SQSRecord[] = batch.map((d) =>
                makeRecord(events[d.eventIndex] as GroupRenamedEvent, {
                  receiveCount: d.receiveCount,
                  fifo: schedule.fifo,
                }),
              );
              const response = await handler({ Records: records }, makeContext(30_000));
              const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
              records.forEach((record, i) => {
                const delivery = batch[i] as (typeof batch)[number];
                const result = reports.findLast((r) => r.messageId === record.messageId)?.result;
                if (failed.has(record.messageId)) {
                  expect(result?.outcome).toBe("retry_later");
                  pool.push({ ...delivery, receiveCount: delivery.receiveCount + 1 });
                  return;
                }
                const eventId = (events[delivery.eventIndex] as GroupRenamedEvent).event_id;
                const label = result?.outcome === "skipped" ? result.reason : (result?.outcome ?? "none");
                decided.set(eventId, [...(decided.get(eventId) ?? []), label]);
              });
            }),
          );
        }

        // Assess: Vitable holds the newest value per group and field
        groupIds.forEach((groupId, g) => {
          for (const field of SYNCED_FIELDS) {
            const newest = newestSetting(events, schedule.events, g, field);
            const initial = field === "name" ? `seed-${g}` : initialRef(g);
            expect(emulator.group(groupId)?.[field]).toBe(newest ? newest.changes[field] : initial);
          }
        });
        // Nothing lost: every event was acked with a skip or an apply, and applied at most once
        for (const event of events) {
          const labels = decided.get(event.event_id) ?? [];
          expect(labels.length).toBeGreaterThan(0);
          for (const label of labels)
            expect(["applied", "superseded", "stale", "duplicate"]).toContain(label);
          expect(labels.filter((label) => label === "applied").length).toBeLessThanOrEqual(1);
        }
        expect(await drainQueue(sqs.client, dlqUrl)).toEqual([]);
        // PATCH order equals ledger order: no PATCH carries a value older than one sent before it
        const byValue = new Map(
          events.flatMap((e) => SYNCED_FIELDS.map((f) => [`${f}:${e.changes[f]}`, e] as const)),
        );
        for (const groupId of groupIds) {
          for (const field of SYNCED_FIELDS) {
            const sent = emulator.journal
              .filter((j) => j.method === "PATCH" && j.status === 200 && j.groupId === groupId)
              .map((j) => (j.body as Record<string, string>)[field])
              .filter((value): value is string => value !== undefined)
              .map((value) => byValue.get(`${field}:${value}`) as GroupRenamedEvent);
            for (let i = 1; i < sent.length; i++) {
              expect(
                compareWatermarks(mark(sent[i - 1] as GroupRenamedEvent), mark(sent[i] as GroupRenamedEvent)),
              ).toBeLessThanOrEqual(0);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});

/** One Lambda container: its own clients, caches and limiter, sharing only the table and the API. */
function container(tableName: string, delay: () => Promise<unknown>, reports: RecordReport[]) {
  const dynamoDb = dynamoClient(dynamo.endpoint);
  dynamoClients.push(dynamoDb);
  const client = new VitableClient({
    baseUrl: emulator.url,
    apiKey: staticApiKey(DEFAULT_API_KEY),
    attemptTimeoutMs: 5_000,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const inner = new DynamoDbLedgerStore({ tableName, client: dynamoDb });
  const ledger: LedgerStore = {
    acquire: async (...args) => {
      await delay();
      return inner.acquire(...args);
    },
    release: async (...args) => {
      await delay();
      const entry = await inner.release(...args);
      await delay();
      return entry;
    },
    rememberAlias: async (...args) => {
      await delay();
      return inner.rememberAlias(...args);
    },
    resolveAlias: (...args) => inner.resolveAlias(...args),
  };
  const groups: SyncDeps["groups"] = {
    update: async (...args) => {
      await delay();
      const group = await client.groups.update(...args);
      await delay();
      return group;
    },
    retrieve: (...args) => client.groups.retrieve(...args),
    findByExternalReferenceId: (...args) => client.groups.findByExternalReferenceId(...args),
  };
  return createSyncHandler({
    groups,
    ledger,
    sqs: sqs.client,
    dlqUrl,
    maxReceiveCount: 1_000,
    ledgerHorizonMs: 10 * 365 * 86_400_000,
    maxFutureMs: 10 * 365 * 86_400_000,
    safetyMarginMs: 500,
    busyRedeliveryMs: () => 0,
    telemetry: { recordProcessed: (report) => reports.push(report), warn: () => {}, flush: () => {} },
  });
}

function toEvent(
  spec: Spec,
  index: number,
  run: number,
  groupIds: string[],
  initialRef: (g: number) => string,
): GroupRenamedEvent {
  const changes: GroupRenamedEvent["changes"] = {};
  // Values are unique per event, so every value seen at the API tells which event it came from.
  if (spec.fields.includes("name")) changes.name = `name-${run}-${index}`;
  if (spec.fields.includes("external_reference_id"))
    changes.external_reference_id = `ref-${run}-${spec.group}-${index + 1}`;
  return {
    schema_version: 1,
    type: "group.renamed",
    event_id: `e${(index * 7919) % 1000}-${run}-${index}`,
    occurred_at: INSTANTS[spec.instant] as string,
    group: spec.byReference
      ? { external_reference_id: initialRef(spec.group) }
      : { id: groupIds[spec.group] as string },
    changes,
  };
}

function mark(event: GroupRenamedEvent) {
  return { instant: canonicalInstant(event.occurred_at) as string, eventId: event.event_id };
}

function newestSetting(events: GroupRenamedEvent[], specs: Spec[], group: number, field: SyncedField) {
  return events
    .filter((e, i) => specs[i]?.group === group && e.changes[field] !== undefined)
    .reduce<GroupRenamedEvent | undefined>(
      (best, e) => (best === undefined || compareWatermarks(mark(e), mark(best)) > 0 ? e : best),
      undefined,
    );
}

/** A small seeded generator, so a failing schedule's delays replay with its seed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
