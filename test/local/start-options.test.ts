import { describe, expect, it } from "vitest";
import { parseStartOptions, StartUsageError } from "../../local/start-options.ts";

describe("npm start options", () => {
  it("defaults to samples, free ports and the runner's own batch size and concurrency", () => {
    // Act
    const options = parseStartOptions([]);

    // Assess
    expect(options).toEqual({
      help: false,
      exitWhenIdle: false,
      samples: true,
      ports: { sqs: 0, vitable: 0, webhook: 0 },
      batchSize: undefined,
      concurrency: undefined,
    });
  });

  it("reads every option", () => {
    // Act
    const options = parseStartOptions([
      "--exit-when-idle",
      "--no-samples",
      "--port-sqs",
      "4566",
      "--port-vitable=4010",
      "--port-webhook",
      "4020",
      "--batch-size",
      "3",
      "--concurrency",
      "2",
    ]);

    // Assess
    expect(options).toMatchObject({
      exitWhenIdle: true,
      samples: false,
      ports: { sqs: 4566, vitable: 4010, webhook: 4020 },
      batchSize: 3,
      concurrency: 2,
    });
  });

  it.each([
    { args: ["--batch-size", "11"], mentions: "--batch-size" },
    { args: ["--batch-size", "0"], mentions: "--batch-size" },
    { args: ["--concurrency", "two"], mentions: "--concurrency" },
    { args: ["--port-sqs", "70000"], mentions: "--port-sqs" },
    { args: ["--port-vitable", "-1"], mentions: "--port-vitable" },
    { args: ["--verbose"], mentions: "--verbose" },
    { args: ["extra"], mentions: "extra" },
  ])("refuses $args", ({ args, mentions }) => {
    // Act
    const attempt = () => parseStartOptions(args);

    // Assess
    expect(attempt).toThrow(StartUsageError);
    expect(attempt).toThrow(mentions);
  });
});
