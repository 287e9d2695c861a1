package org.quantlens.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.tensor.InvalidInputException;

/**
 * Kahn's algorithm over value names: a node is ready when every named input is a graph input, an initializer or
 * the output of an already placed node. Ties keep file order, so a graph already in order is returned unchanged.
 */
public final class TopologicalOrder {
    private TopologicalOrder() {
    }

    /**
     * The nodes of {@code g} in an executable order.
     *
     * @throws InvalidInputException naming the offending node when the graph has a cycle, an input nobody produces,
     *                               or two producers of one value
     */
    public static List<Node> sort(Graph g) {
        Set<String> available = new HashSet<>(g.inputNames());
        available.addAll(g.initializers().keySet());
        Map<String, Integer> producerOf = new HashMap<>();
        List<Node> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producerOf.put(o, i) != null || available.contains(o)) {
                    throw new InvalidInputException("value '" + o + "' is produced twice (node "
                            + nodes.get(i).displayName() + ")");
                }
            }
        }
        int[] missing = new int[nodes.size()];
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Set<String> seen = new HashSet<>();
            for (String in : nodes.get(i).inputs()) {
                if (in.isEmpty() || available.contains(in) || !seen.add(in)) {
                    continue;
                }
                if (!producerOf.containsKey(in)) {
                    throw new InvalidInputException("node " + nodes.get(i).displayName() + " (" + nodes.get(i).opType()
                            + ") reads '" + in + "', which is no graph input, initializer or node output");
                }
                missing[i]++;
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
        // A priority by file index keeps the original order when it is already valid.
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (String o : nodes.get(i).outputs()) {
                for (int c : consumers.getOrDefault(o, List.of())) {
                    if (--missing[c] == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        if (order.size() != nodes.size()) {
            for (int i = 0; i < nodes.size(); i++) {
                if (missing[i] > 0) {
                    throw new InvalidInputException("graph has a cycle through node " + nodes.get(i).displayName()
                            + " (" + nodes.get(i).opType() + ")");
                }
            }
        }
        return order;
    }
}
