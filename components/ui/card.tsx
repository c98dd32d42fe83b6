"use client";

import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * A card is a region named by its title: screen-reader users can list the cards of a
 * page and jump to one. The title registers itself, so a card without one stays a plain
 * group (a region without a name is just noise) and no label points at nothing.
 */
const CardTitleContext = React.createContext<{ id: string; register: () => () => void } | null>(null);

function Card({ className, children, ...props }: React.ComponentProps<"div">) {
  const id = React.useId();
  const [titled, setTitled] = React.useState(0);
  const title = React.useMemo(
    () => ({
      id,
      register: () => {
        setTitled((n) => n + 1);
        return () => setTitled((n) => n - 1);
      },
    }),
    [id],
  );
  return (
    <CardTitleContext.Provider value={title}>
      <section
        data-slot="card"
        aria-labelledby={titled > 0 ? id : undefined}
        className={cn("bg-card text-card-foreground flex flex-col gap-6 rounded-xl border py-6 shadow-sm", className)}
        {...props}
      >
        {children}
      </section>
    </CardTitleContext.Provider>
  );
}

function CardHeader({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="card-header"
      className={cn(
        "@container/card-header grid auto-rows-min grid-rows-[auto_auto] items-start gap-1.5 px-6 has-data-[slot=card-action]:grid-cols-[1fr_auto] [.border-b]:pb-6",
        className,
      )}
      {...props}
    />
  );
}

/** The card's heading: an `h2` unless the page's outline needs another level (`as`). */
function CardTitle({ className, as: Heading = "h2", ...props }: React.ComponentProps<"h2"> & { as?: "h1" | "h2" | "h3" }) {
  const card = React.useContext(CardTitleContext);
  const register = card?.register;
  React.useEffect(() => register?.(), [register]);
  return <Heading data-slot="card-title" id={card?.id} className={cn("leading-none font-semibold", className)} {...props} />;
}

function CardDescription({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="card-description" className={cn("text-muted-foreground text-sm", className)} {...props} />;
}

function CardAction({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="card-action"
      className={cn("col-start-2 row-span-2 row-start-1 self-start justify-self-end", className)}
      {...props}
    />
  );
}

function CardContent({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="card-content" className={cn("px-6", className)} {...props} />;
}

function CardFooter({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="card-footer" className={cn("flex items-center px-6 [.border-t]:pt-6", className)} {...props} />;
}

export { Card, CardHeader, CardFooter, CardTitle, CardAction, CardDescription, CardContent };
