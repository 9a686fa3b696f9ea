import { start } from "../../shared/checkout.js";
start();
