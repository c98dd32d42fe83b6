import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// OAuth states live 10 minutes; spent and abandoned ones are swept every 15.
crons.interval("remove expired OAuth states", { minutes: 15 }, internal.integrations.oauth.cleanupExpiredStates, {});

export default crons;
