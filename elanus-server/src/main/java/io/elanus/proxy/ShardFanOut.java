package io.elanus.proxy;

import io.elanus.api.QueryNodeClient;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.NamedThreads;
import io.grpc.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Calls every shard of a read at once and returns the answers in the order of the read's shards, so
 * that whatever reduces them sees what a shard-by-shard loop would have given. The request's own
 * thread makes one of the calls: a collection with one shard costs no thread hop. The other calls go
 * to a bounded pool with no queue; when it is busy the request's thread makes them itself, one after
 * another, so no call ever waits for a free thread.
 *
 * <p>A failed call may come from a stale shard leader (its node died, its channel moved, the
 * collection was released): the leaders are then asked again, and each failed shard whose leader
 * changed is called once more on the new one (Milvus's proxy deprecates its shard cache and retries
 * the same way). A failure on a leader that did not change is the read's failure.
 */
final class ShardFanOut implements AutoCloseable {
    /** One call to the leader of one shard. */
    @FunctionalInterface
    interface ShardCall<R> {
        R call(QueryNodeClient leader, String vchannel);
    }

    private final MetaCache meta;
    private final ThreadPoolExecutor pool;

    ShardFanOut(MetaCache meta, int threads) {
        this.meta = meta;
        // No queue: a call either gets an idle (or new) thread at once or runs on the request's thread.
        this.pool = new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                NamedThreads.daemon("proxy-shard"), (call, executor) -> call.run());
    }

    /** The answer of every shard of {@code scope}, in the order of {@code scope.shards()}. */
    <R> List<R> onEveryShard(ReadScope scope, ShardCall<R> call) {
        List<Map.Entry<String, QueryNodeClient>> shards = List.copyOf(scope.shards().entrySet());
        Outcome<R> first = callAll(shards, call);
        if (first.failures.isEmpty()) {
            return first.results;
        }
        Map<String, QueryNodeClient> fresh = scope.rerouted(meta).shards();
        List<Map.Entry<String, QueryNodeClient>> retried = new ArrayList<>();
        for (int i : first.failures) {
            String vchannel = shards.get(i).getKey();
            QueryNodeClient now = fresh.get(vchannel);
            if (now == null || now.nodeId() == shards.get(i).getValue().nodeId()) {
                throw first.errors[i];
            }
            retried.add(Map.entry(vchannel, now));
        }
        Outcome<R> second = callAll(retried, call);
        if (!second.failures.isEmpty()) {
            throw second.errors[second.failures.getFirst()];
        }
        List<R> results = new ArrayList<>(first.results);
        for (int j = 0; j < retried.size(); j++) {
            results.set(first.failures.get(j), second.results.get(j));
        }
        return results;
    }

    /** Results by position (null where the call failed), the positions that failed, and their errors. */
    private record Outcome<R>(List<R> results, List<Integer> failures, RuntimeException[] errors) {
    }

    private <R> Outcome<R> callAll(List<Map.Entry<String, QueryNodeClient>> shards, ShardCall<R> call) {
        int n = shards.size();
        Object[] results = new Object[n];
        RuntimeException[] errors = new RuntimeException[n];
        List<Future<?>> others = new ArrayList<>(n);
        // Each call runs in the request's gRPC context: its deadline and cancellation reach the query nodes.
        Context context = Context.current();
        for (int i = 1; i < n; i++) {
            int shard = i;
            FutureTask<Void> task = new FutureTask<>(context.wrap(() -> callOne(shards.get(shard), call, shard, results, errors)), null);
            pool.execute(task);
            others.add(task);
        }
        if (n > 0) {
            callOne(shards.getFirst(), call, 0, results, errors);
        }
        for (Future<?> f : others) {
            await(f, others);
        }
        List<Integer> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (errors[i] != null) {
                failures.add(i);
            }
        }
        @SuppressWarnings("unchecked")
        List<R> out = (List<R>) Arrays.asList(results);
        return new Outcome<>(out, failures, errors);
    }

    private static <R> void callOne(Map.Entry<String, QueryNodeClient> shard, ShardCall<R> call, int i, Object[] results,
                                    RuntimeException[] errors) {
        try {
            results[i] = call.call(shard.getValue(), shard.getKey());
        } catch (RuntimeException e) {
            errors[i] = e;
        }
    }

    /** Waits for a call made on the pool; its results are visible once it is done. Errors (out of memory) go on up. */
    private static void await(Future<?> f, List<Future<?>> all) {
        try {
            f.get();
        } catch (InterruptedException e) {
            all.forEach(other -> other.cancel(true));
            Thread.currentThread().interrupt();
            throw new MilvusException(MilvusError.SERVICE_UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
