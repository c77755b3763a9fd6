package ai.peregrine.deploy;

import java.util.Map;

/**
 * The Hugging Face LLM inference (TGI) image for a region and TGI version, as the SageMaker Python SDK maps
 * them (src/sagemaker/image_uri_config/huggingface-llm.json): {account}.dkr.ecr.{region}.amazonaws.com/
 * huggingface-pytorch-tgi-inference:{tag}.
 */
public final class TgiImageUris {
    /** The TGI version the seed's Falcon notebook deployed. */
    public static final String DEFAULT_VERSION = "0.8.2";

    private static final String MAIN_ACCOUNT = "763104351884";
    private static final Map<String, String> ACCOUNTS = Map.ofEntries(
            Map.entry("us-east-1", MAIN_ACCOUNT), Map.entry("us-east-2", MAIN_ACCOUNT),
            Map.entry("us-west-1", MAIN_ACCOUNT), Map.entry("us-west-2", MAIN_ACCOUNT),
            Map.entry("ca-central-1", MAIN_ACCOUNT), Map.entry("sa-east-1", MAIN_ACCOUNT),
            Map.entry("eu-west-1", MAIN_ACCOUNT), Map.entry("eu-west-2", MAIN_ACCOUNT),
            Map.entry("eu-west-3", MAIN_ACCOUNT), Map.entry("eu-central-1", MAIN_ACCOUNT),
            Map.entry("eu-north-1", MAIN_ACCOUNT), Map.entry("ap-northeast-1", MAIN_ACCOUNT),
            Map.entry("ap-northeast-2", MAIN_ACCOUNT), Map.entry("ap-northeast-3", MAIN_ACCOUNT),
            Map.entry("ap-south-1", MAIN_ACCOUNT), Map.entry("ap-southeast-1", MAIN_ACCOUNT),
            Map.entry("ap-southeast-2", MAIN_ACCOUNT),
            Map.entry("af-south-1", "626614931356"), Map.entry("ap-east-1", "871362719292"));

    private static final Map<String, String> TAGS = Map.of(
            "0.6.0", "2.0.0-tgi0.6.0-gpu-py39-cu118-ubuntu20.04",
            "0.8.2", "2.0.0-tgi0.8.2-gpu-py39-cu118-ubuntu20.04",
            "0.9.3", "2.0.1-tgi0.9.3-gpu-py39-cu118-ubuntu20.04",
            "1.0.3", "2.0.1-tgi1.0.3-gpu-py39-cu118-ubuntu20.04",
            "1.1.0", "2.0.1-tgi1.1.0-gpu-py39-cu118-ubuntu20.04",
            "1.2.0", "2.1.1-tgi1.2.0-gpu-py310-cu121-ubuntu20.04");

    private static final Map<String, String> ALIASES = Map.of(
            "0.6", "0.6.0", "0.8", "0.8.2", "0.9", "0.9.3", "1.0", "1.0.3", "1.1", "1.1.0", "1.2", "1.2.0");

    private TgiImageUris() {}

    public static String uri(String region, String version) {
        String account = ACCOUNTS.get(region);
        if (account == null) {
            throw new IllegalArgumentException("no known TGI image account for region " + region
                    + "; pass --image-uri with the image for that region");
        }
        String full = ALIASES.getOrDefault(version, version);
        String tag = TAGS.get(full);
        if (tag == null) {
            throw new IllegalArgumentException("unknown TGI version " + version + " (known: "
                    + String.join(", ", new java.util.TreeSet<>(TAGS.keySet())) + "); or pass --image-uri");
        }
        return account + ".dkr.ecr." + region + ".amazonaws.com/huggingface-pytorch-tgi-inference:" + tag;
    }
}
