package io.smcd.sim.registry;

import io.smcd.sim.SmcdDomain;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The other process of {@link RegistryCrossProcessTest}. Arguments: domain directory, mode, client port, server port
 * (both on 127.0.0.1). Modes:
 * <ul>
 *   <li>{@code listen}: registers a listener on the server port, leaves a half-written temporary file, prints
 *       {@code READY} and waits to be killed;</li>
 *   <li>{@code publish}: publishes an intent to the parent's listener, prints {@code READY} and waits to be killed;</li>
 *   <li>{@code client}: publishes an intent to the parent's listener, prints {@code READY}, and on the line
 *       {@code DECIDE} prints {@code DECIDED <outcome>} and exits;</li>
 *   <li>{@code race}: prints {@code READY}, then for each line {@code PUBLISH} publishes an intent and prints
 *       {@code PUBLISHED}, and on the next line decides it at once and prints {@code DECIDED <outcome>}; exits at the end
 *       of its input.</li>
 * </ul>
 */
public final class RegistryChild {
    private RegistryChild() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetSocketAddress client = new InetSocketAddress(loopback, Integer.parseInt(args[2]));
        InetSocketAddress server = new InetSocketAddress(loopback, Integer.parseInt(args[3]));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (SmcdDomain domain = SmcdDomain.open(Paths.get(args[0]));
             EndpointRegistry registry = new EndpointRegistry(domain)) {
            switch (args[1]) {
                case "listen" -> {
                    registry.registerListener(server);
                    Files.write(domain.newTempFile("listener"), new byte[] {1, 2, 3});
                    System.out.println("READY");
                    stdin.readLine();
                }
                case "publish" -> {
                    ListenerSegmentDescriptorTest.publish(registry.findListener(server).orElseThrow(), client, server, IntentOffer.NONE);
                    System.out.println("READY");
                    stdin.readLine();
                }
                case "client" -> {
                    try (ClientIntent intent = ListenerSegmentDescriptorTest.publish(registry.findListener(server).orElseThrow(),
                            client, server, IntentOffer.NONE)) {
                        System.out.println("READY");
                        if ("DECIDE".equals(stdin.readLine())) {
                            System.out.println("DECIDED " + intent.decide());
                        }
                    }
                }
                case "race" -> {
                    Listener listener = registry.findListener(server).orElseThrow();
                    System.out.println("READY");
                    while ("PUBLISH".equals(stdin.readLine())) {
                        ClientIntent intent = ListenerSegmentDescriptorTest.publish(listener, client, server, IntentOffer.NONE);
                        System.out.println("PUBLISHED");
                        stdin.readLine();
                        System.out.println("DECIDED " + intent.decide());
                    }
                }
                default -> throw new IllegalArgumentException("mode=" + args[1]);
            }
        }
    }
}
