#ifndef C_TASK_ENQUEUE_HOOK_H
#define C_TASK_ENQUEUE_HOOK_H

/// Stores `hook` in the Swift concurrency runtime's `swift_task_enqueueGlobal_hook`, so every
/// job for the global executor goes to it; returns 0 when another hook was already installed
/// (nothing is changed then), 1 when `hook` is now installed.
///
/// The symbol is referenced at link time rather than found with `dlsym`: the static runtime's
/// link flags (`--exclude-libs ALL`) keep it out of the dynamic symbol table, where `dlsym`
/// looks. `hook` must be a Swift function of the hook's type, (job, original) -> Void.
int gateway_install_task_enqueue_global_hook(const void *hook);

#endif
