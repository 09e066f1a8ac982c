// Preloaded (`node -r`) into app processes that a test starts (libs/testing's AppCluster): the app dies with
// the test runner, even when the runner is SIGKILLed and has no chance to stop it. The IPC channel to the
// parent closes when the parent dies; unref'd, it never keeps the app alive on its own (graceful shutdown
// still ends the process as in production).
if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
