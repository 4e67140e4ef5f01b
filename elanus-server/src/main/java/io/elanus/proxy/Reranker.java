package io.elanus.proxy;

import io.elanus.common.MilvusException;
import io.elanus.api.Hit;
import io.elanus.vector.MetricType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuses the rankings of a hybrid search's sub-requests into one, per query: Milvus's RRFRanker
 * (score = sum over sub-requests of 1 / (k + rank), rank from 1, k in (0, 16384), default 60) or
 * WeightedRanker (score = sum of weight x score, scores normalised into [0, 1] by metric when
 * norm_score is set: IP 0.5 + atan(s)/pi, L2 1 - 2 atan(s)/pi, COSINE (1 + s) / 2).
 */
abstract class Reranker {

    static Reranker of(String strategy, Map<String, String> params, int subRequests) {
        return switch (strategy.trim().toLowerCase(Locale.ROOT)) {
            case "rrf" -> new Rrf(rrfK(params.getOrDefault("k", "60")));
            case "weighted" -> new Weighted(weights(params.get("weights"), subRequests),
                    Boolean.parseBoolean(params.getOrDefault("norm_score", "true")));
            default -> throw MilvusException.invalidParameter("unsupported rank type " + strategy);
        };
    }

    /** Per query: every row found by any sub-request, with its fused score (larger is better). */
    List<List<Hit>> fuse(List<SearchHandler.Ranked> runs, int nq) {
        List<List<Hit>> out = new ArrayList<>(nq);
        for (int q = 0; q < nq; q++) {
            Map<Object, Hit> where = new LinkedHashMap<>();
            Map<Object, Double> score = new HashMap<>();
            for (int r = 0; r < runs.size(); r++) {
                SearchHandler.Ranked run = runs.get(r);
                List<Hit> hits = run.perQuery().get(q);
                for (int rank = 0; rank < hits.size(); rank++) {
                    Hit h = hits.get(rank);
                    where.putIfAbsent(h.pk(), h);
                    score.merge(h.pk(), contribution(r, rank + 1, h.score(), run.metric()), Double::sum);
                }
            }
            List<Hit> fused = new ArrayList<>(where.size());
            where.forEach((pk, h) -> fused.add(h.withScore(score.get(pk).floatValue())));
            out.add(fused);
        }
        return out;
    }

    abstract double contribution(int subRequest, int rank, float score, MetricType metric);

    private static final class Rrf extends Reranker {
        private final double k;

        Rrf(double k) {
            this.k = k;
        }

        @Override
        double contribution(int subRequest, int rank, float score, MetricType metric) {
            return 1.0 / (k + rank);
        }
    }

    private static final class Weighted extends Reranker {
        private final double[] weights;
        private final boolean normalise;

        Weighted(double[] weights, boolean normalise) {
            this.weights = weights;
            this.normalise = normalise;
        }

        @Override
        double contribution(int subRequest, int rank, float score, MetricType metric) {
            double s = score;
            if (normalise) {
                s = switch (metric) {
                    case IP -> 0.5 + Math.atan(s) / Math.PI;
                    case COSINE -> (1 + s) / 2;
                    default -> 1 - 2 * Math.atan(s) / Math.PI;
                };
            }
            return weights[subRequest] * s;
        }
    }

    private static double rrfK(String raw) {
        double k;
        try {
            k = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw MilvusException.invalidParameter("The rank params k should be a number, but got " + raw);
        }
        if (k <= 0 || k >= 16384) {
            throw MilvusException.invalidParameter("The rank params k should be in range (0, 16384), but got " + raw);
        }
        return k;
    }

    private static double[] weights(String json, int subRequests) {
        if (json == null || json.isBlank()) {
            throw MilvusException.invalidParameter("weights not found in rank_params");
        }
        String body = json.trim();
        if (!body.startsWith("[") || !body.endsWith("]")) {
            throw MilvusException.invalidParameter("the weights should be a list of numbers, but got " + json);
        }
        String inner = body.substring(1, body.length() - 1).trim();
        String[] parts = inner.isEmpty() ? new String[0] : inner.split(",");
        if (parts.length != subRequests) {
            throw MilvusException.invalidParameter("the length of weights param mismatch with ann search requests: invalid parameter[expected="
                    + subRequests + "][actual=" + parts.length + "]");
        }
        double[] w = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw MilvusException.invalidParameter("the weights should be numbers, but got " + json);
            }
            if (w[i] < 0 || w[i] > 1) {
                throw MilvusException.invalidParameter("rank param weight should be in range [0, 1]");
            }
        }
        return w;
    }
}
