package ai.peregrine.cli;

import ai.peregrine.engine.generate.Cancellation;
import ai.peregrine.engine.generate.GenerationListener;
import ai.peregrine.engine.generate.GenerationRequest;
import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.Generator;
import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.engine.sampling.SamplingParams;
import ai.peregrine.server.tgi.GenerateResponseJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate text from a prompt and stream it to stdout.",
                "With --json, print one TGI GenerateResponse object instead."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The prompt (TGI `inputs`).")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", description = "Sampling temperature; setting it turns sampling on, as in TGI.")
    Float temperature;

    @Option(names = "--top-k", description = "Keep the K most likely tokens (sampling).")
    Integer topK;

    @Option(names = "--top-p", description = "Nucleus sampling mass, in (0, 1).")
    Float topP;

    @Option(names = "--typical-p", description = "Typical sampling mass, in (0, 1).")
    Float typicalP;

    @Option(names = "--repetition-penalty", description = "CTRL-style penalty over prompt and generated tokens (1 = off).")
    Float repetitionPenalty;

    @Option(names = "--do-sample", description = "Sample even without any warper set.")
    boolean doSample;

    @Option(names = "--seed", description = "Seed for sampling (reproducible runs).")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop sequence; repeatable.")
    List<String> stop;

    @Option(names = "--details", description = "With --json: include details (finish_reason, tokens with logprobs, seed).")
    boolean details;

    @Option(names = "--decoder-input-details", description = "With --json: include the prompt tokens with their logprobs (implies --details).")
    boolean decoderInputDetails;

    @Option(names = "--top-n-tokens", defaultValue = "0", description = "With --json --details: the N most likely tokens at each step.")
    int topNTokens;

    @Option(names = "--json", description = "Print one TGI GenerateResponse JSON object instead of streaming text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SamplingParams sampling = new SamplingParams(
                temperature == null ? 1f : temperature,
                topK == null ? 0 : topK,
                topP == null ? 1f : topP,
                typicalP == null ? 1f : typicalP,
                repetitionPenalty == null ? 1f : repetitionPenalty,
                0f, doSample, seed, false);
        GenerationRequest request = GenerationRequest.text(prompt)
                .sampling(sampling)
                .maxNewTokens(maxNewTokens)
                .stop(stop)
                .details(details || decoderInputDetails)
                .decoderInputDetails(decoderInputDetails)
                .topNTokens(topNTokens)
                .build();
        try (TransformerModel model = modelOptions.open(err);
             Session session = model.newSession(model.config().contextLength())) {
            Generator generator = new Generator(model.tokenizer());
            GenerationListener listener = json ? GenerationListener.NONE : (token, delta) -> {
                out.print(delta);
                out.flush();
            };
            GenerationResult result = generator.generate(session, request, listener, new Cancellation());
            if (json) {
                out.println(GenerateResponseJson.write(result, request.details(), request.decoderInputDetails()));
            } else {
                out.println();
            }
            out.flush();
        }
        return 0;
    }
}
