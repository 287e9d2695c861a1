package org.quantlens.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.runtime.EvaluationReport;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** The evaluation view model on LeNet and the first 48 test images, work run on the calling thread. */
class EvaluateViewModelTest {
    private static final Executor NOW = Runnable::run;
    @TempDir
    Path dir;

    private Path subset(String name, int n) {
        Tensor t = Npy.read(SharedFixtures.require("reference/digits_lenet/" + name));
        Path out = dir.resolve(name);
        Npy.write(Batching.slice(t, 0, n), out);
        return out;
    }

    @Test
    void evaluatesWithAMinmaxTableOnTheCalibrationDataAndLabelsFoundBesideTheSet() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        Path test = subset("test.npy", 48);
        Path labels = subset("test_labels.npy", 48);
        EvaluateViewModel vm = new EvaluateViewModel(NOW, NOW);
        vm.modelPathProperty().set(model);
        assertFalse(vm.runnableProperty().get(), "no evaluation set yet");
        vm.calibrationDataProperty().set(calib);
        vm.dataProperty().set(test);
        assertEquals(labels, vm.labelsProperty().get(), "test_labels.npy beside test.npy is taken");
        assertEquals("Table: minmax on calib.npy", vm.tableTextProperty().get());
        assertTrue(vm.runnableProperty().get());

        vm.run();

        EvaluationReport r = vm.reportProperty().get();
        assertNotNull(r, vm.statusProperty().get());
        assertEquals(48, r.samples());
        assertNotNull(r.fp32Accuracy());
        assertTrue(r.int8Accuracy() > 0.8, "LeNet stays accurate in INT8: " + r.int8Accuracy());
        assertTrue(r.top1Agreement() > 0.9);
        assertTrue(r.logitsSqnrDb() > 20);
        assertEquals(r.layers(), vm.layers());
        assertTrue(vm.layers().stream().anyMatch(l -> l.tensor().equals("logits")));
        assertTrue(vm.fallbackNodes().isEmpty(), "LeNet runs entirely in INT8");
        assertFalse(vm.busyProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("48 samples"), vm.statusProperty().get());
    }

    @Test
    void cancelStopsTheRunAndKeepsThePreviousReport() throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            // the job waits on the latch until the test has cancelled, so the cancel surely lands mid-run
            worker.execute(() -> awaitQuietly(release));
            EvaluateViewModel vm = new EvaluateViewModel(worker, Runnable::run);
            vm.modelPathProperty().set(model);
            vm.calibrationDataProperty().set(calib);
            vm.dataProperty().set(subset("test.npy", 16));
            vm.run();
            assertTrue(vm.busyProperty().get());
            vm.cancel();
            release.countDown();
            worker.shutdown();
            assertTrue(worker.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
            assertFalse(vm.busyProperty().get());
            assertNull(vm.reportProperty().get(), "a cancelled run delivers nothing");
            assertEquals("Evaluation cancelled", vm.statusProperty().get());
        } finally {
            worker.shutdownNow();
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void clickingABarSelectsItsLayer() {
        EvaluateViewModel vm = new EvaluateViewModel(NOW, NOW);
        List<String> seen = new ArrayList<>();
        vm.selectedLayerProperty().addListener((o, a, b) -> seen.add(b));
        vm.selectLayer("/Relu_output_0");
        assertEquals(List.of("/Relu_output_0"), seen);
    }

    @Test
    void withoutLabelsOnlyAgreementIsReported() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        Path test = subset("test.npy", 16);
        EvaluateViewModel vm = new EvaluateViewModel(NOW, NOW);
        vm.modelPathProperty().set(model);
        vm.calibrationDataProperty().set(calib);
        vm.dataProperty().set(test);
        vm.labelsProperty().set(null);
        vm.run();
        assertNull(vm.reportProperty().get().fp32Accuracy());
        assertEquals("—", EvaluateViewModel.percent(vm.reportProperty().get().int8Accuracy()));
    }

    @Test
    void aBadEvaluationSetIsReportedInOneLineAndKeepsThePreviousReport() throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        Path junk = dir.resolve("junk.npy");
        java.nio.file.Files.writeString(junk, "not numpy");
        EvaluateViewModel vm = new EvaluateViewModel(NOW, NOW);
        vm.modelPathProperty().set(model);
        vm.calibrationDataProperty().set(calib);
        vm.dataProperty().set(junk);
        vm.run();
        assertNull(vm.reportProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Evaluation failed: "), vm.statusProperty().get());
        assertTrue(vm.statusProperty().get().contains("junk.npy"), vm.statusProperty().get());
        assertFalse(vm.statusProperty().get().contains("\n"));
    }

    @Test
    void decibelsShowInfinityForAnExactMatch() {
        assertEquals("∞ dB", EvaluateViewModel.decibels(Double.POSITIVE_INFINITY));
        assertEquals("41.3 dB", EvaluateViewModel.decibels(41.25 + 1e-9));
        assertEquals(100.0, SqnrChart.barValue(Double.POSITIVE_INFINITY));
        assertEquals(0.0, SqnrChart.barValue(Double.NaN));
    }

    @Test
    void anEvaluationSetBesideTheModelIsOfferedWithItsLabels() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("model.onnx"), "");
        java.nio.file.Files.writeString(dir.resolve("eval.npy"), "");
        java.nio.file.Files.writeString(dir.resolve("eval_labels.npy"), "");
        EvaluateViewModel vm = new EvaluateViewModel(NOW, NOW);
        vm.modelPathProperty().set(dir.resolve("model.onnx"));
        assertEquals(dir.resolve("eval.npy"), vm.dataProperty().get());
        assertEquals(dir.resolve("eval_labels.npy"), vm.labelsProperty().get());
    }
}
