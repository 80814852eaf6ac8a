// Free ports, one way: the extension's own (its dev servers start on one). Node built-ins only
// (the runner, the extension tests and the bench import it too). A port found free can be taken
// before a server binds it (retry on EADDRINUSE); nothing listening, it also stands for a
// deployment that is down (connections to it are refused).
export { freeLoopbackPort as freePort } from '../../src/core/devServer/ready';
