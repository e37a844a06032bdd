// The laravel-echo page's client: laravel-echo 2.x with pusher-js 8.x, as an
// application bundles them (esbuild --bundle --minify, see build.mjs).
import Echo from "laravel-echo";
import Pusher from "pusher-js";

window.Pusher = Pusher;
window.Echo = Echo;
