import { defineWorkspace } from "sluice";

export default defineWorkspace({ projects: ["projects/eta", "projects/ranking", "projects/forecast", "projects/vision"] });
