// Entry of the Control UI bundle: defines <openclaw-app> and every view.
import "./app.js";
