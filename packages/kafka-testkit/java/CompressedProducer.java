import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces records with Kafka's own Java client, compressed with the codec given, for tests of
 * batches written by a client other than KafkaJS. Run as a single-file program (java Source.java).
 * Args: bootstrap topic compression. Stdin: one record a line, "partition<TAB>keyHex<TAB>valueHex",
 * "-" for a null key or value. Prints one line of JSON with the offsets written.
 */
public class CompressedProducer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("compression.type", args[2]);
    props.put("acks", "all");
    props.put("linger.ms", "200");
    props.put("batch.size", "1048576");
    props.put("enable.idempotence", "false");
    HexFormat hex = HexFormat.of();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) continue;
        String[] parts = line.split("\t", -1);
        Integer partition = parts[0].equals("-") ? null : Integer.valueOf(parts[0]);
        byte[] key = parts[1].equals("-") ? null : hex.parseHex(parts[1]);
        byte[] value = parts[2].equals("-") ? null : hex.parseHex(parts[2]);
        sent.add(producer.send(new ProducerRecord<>(args[1], partition, key, value)));
      }
      producer.flush();
      StringBuilder out = new StringBuilder("{\"offsets\":[");
      for (int i = 0; i < sent.size(); i++) {
        RecordMetadata m = sent.get(i).get();
        if (i > 0) out.append(',');
        out.append("[").append(m.partition()).append(',').append(m.offset()).append(']');
      }
      System.out.println(out.append("]}"));
    }
  }
}
