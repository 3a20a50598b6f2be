#include "CTaskEnqueueHook.h"

#include <stddef.h>

// Defined by libswift_Concurrency (static or shared); the runtime reads it on every enqueue.
extern const void *swift_task_enqueueGlobal_hook;

int gateway_install_task_enqueue_global_hook(const void *hook) {
    const void *expected = NULL;
    return __atomic_compare_exchange_n(
        &swift_task_enqueueGlobal_hook, &expected, hook, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
