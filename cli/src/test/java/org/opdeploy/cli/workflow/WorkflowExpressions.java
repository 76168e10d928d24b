package org.opdeploy.cli.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of GitHub Actions' expression language the project's workflows use: context paths
 * ({@code github.event.client_payload.tag}, {@code steps.opdbus.outputs.commit}), string and number
 * literals, {@code ||}, {@code &&}, {@code ==}, {@code !=}, parentheses, {@code format(…)} and the
 * status functions. {@code ||} and {@code &&} return an operand, as on GitHub; a missing property
 * is null and renders as "". Anything else is refused, so a workflow using more fails the test
 * instead of being run wrongly.
 */
final class WorkflowExpressions {
  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern TOKEN =
      Pattern.compile(
          "\\s*(?:(\\|\\||&&|==|!=|[(),!])|'((?:[^']|'')*)'|(-?\\d+(?:\\.\\d+)?)|([A-Za-z_][\\w-]*(?:\\.[A-Za-z_][\\w-]*)*))");
  private final Map<String, Object> contexts;
  private final boolean jobFailed;
  private List<Object[]> tokens;
  private int at;

  WorkflowExpressions(Map<String, Object> contexts, boolean jobFailed) {
    this.contexts = contexts;
    this.jobFailed = jobFailed;
  }

  /** Replaces every {@code ${{ … }}} in {@code text} with its value as text. */
  String interpolate(String text) {
    Matcher m = TEMPLATE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(render(evaluate(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A step's {@code if:} (with or without {@code ${{ }}}); no {@code if:} means success(). */
  boolean condition(String text) {
    String expression = text == null ? "success()" : text.strip();
    if (expression.startsWith("${{") && expression.endsWith("}}")) {
      expression = expression.substring(3, expression.length() - 2);
    }
    if (!expression.matches("(?s).*\\b(success|failure|always|cancelled)\\(\\).*")) {
      expression = "success() && (" + expression + ")";
    }
    return truthy(evaluate(expression));
  }

  Object evaluate(String expression) {
    tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(expression);
    int end = 0;
    while (end < expression.length() && m.find(end) && m.start() == end) {
      if (m.group(1) != null) {
        tokens.add(new Object[] {"op", m.group(1)});
      } else if (m.group(2) != null) {
        tokens.add(new Object[] {"value", m.group(2).replace("''", "'")});
      } else if (m.group(3) != null) {
        tokens.add(new Object[] {"value", Double.parseDouble(m.group(3))});
      } else {
        tokens.add(new Object[] {"name", m.group(4)});
      }
      end = m.end();
    }
    if (!expression.substring(end).isBlank()) {
      throw new IllegalArgumentException("unsupported expression: " + expression);
    }
    at = 0;
    Object value = or();
    if (at != tokens.size()) {
      throw new IllegalArgumentException("unsupported expression: " + expression);
    }
    return value;
  }

  static String render(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d && d == Math.rint(d)) {
      return Long.toString(d.longValue());
    }
    return value.toString();
  }

  static boolean truthy(Object value) {
    return !(value == null
        || Boolean.FALSE.equals(value)
        || "".equals(value)
        || (value instanceof Double d && d == 0));
  }

  private boolean peek(String op) {
    return at < tokens.size() && "op".equals(tokens.get(at)[0]) && op.equals(tokens.get(at)[1]);
  }

  private void expect(String op) {
    if (!peek(op)) {
      throw new IllegalArgumentException("expected " + op);
    }
    at++;
  }

  private Object or() {
    Object left = and();
    while (peek("||")) {
      at++;
      Object right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private Object and() {
    Object left = equality();
    while (peek("&&")) {
      at++;
      Object right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private Object equality() {
    Object left = unary();
    while (peek("==") || peek("!=")) {
      boolean equal = peek("==");
      at++;
      Object right = unary();
      boolean same = render(left).equalsIgnoreCase(render(right));
      left = equal == same;
    }
    return left;
  }

  private Object unary() {
    if (peek("!")) {
      at++;
      return !truthy(unary());
    }
    return primary();
  }

  private Object primary() {
    if (peek("(")) {
      at++;
      Object value = or();
      expect(")");
      return value;
    }
    Object[] token = tokens.get(at++);
    if ("value".equals(token[0])) {
      return token[1];
    }
    String name = (String) token[1];
    if (peek("(")) {
      at++;
      List<Object> args = new ArrayList<>();
      while (!peek(")")) {
        args.add(or());
        if (peek(",")) {
          at++;
        }
      }
      expect(")");
      return call(name, args);
    }
    return switch (name) {
      case "true" -> true;
      case "false" -> false;
      case "null" -> null;
      default -> lookup(name);
    };
  }

  private Object call(String name, List<Object> args) {
    return switch (name) {
      case "success" -> !jobFailed;
      case "failure" -> jobFailed;
      case "always" -> true;
      case "cancelled" -> false;
      case "format" -> {
        String text = render(args.get(0));
        for (int i = 1; i < args.size(); i++) {
          text = text.replace("{" + (i - 1) + "}", render(args.get(i)));
        }
        yield text;
      }
      default -> throw new IllegalArgumentException("unsupported function " + name + "()");
    };
  }

  private Object lookup(String path) {
    Object value = contexts;
    for (String part : path.split("\\.")) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(part);
    }
    return value;
  }
}
